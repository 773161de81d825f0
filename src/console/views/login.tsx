import { BASE, Layout, Notice } from "./layout.js";

export function LoginPage(props: {
  github: boolean;
  token: boolean;
  /** The double-submit value also set as a cookie: a forged sign-in form cannot know it. */
  loginCsrf: string;
  error?: string | undefined;
}) {
  return (
    <Layout title="Sign in">
      <div class="login">
        <h1>Sign in to the trackbridge console</h1>
        <Notice text={props.error} bad />
        {props.github && (
          <a class="button primary" href={`${BASE}/login/github`}>
            Sign in with GitHub
          </a>
        )}
        {props.token && (
          <form method="post" action={`${BASE}/login`}>
            <input type="hidden" name="_login" value={props.loginCsrf} />
            <label>
              Console token (TRACKBRIDGE_CONSOLE_TOKEN)
              <input type="password" name="token" autocomplete="current-password" required />
            </label>
            <p>
              <button type="submit">Sign in with the token</button>
            </p>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function MessagePage(props: { title: string; text: string; refreshTo?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refreshTo && <meta http-equiv="refresh" content={`0;url=${props.refreshTo}`} />}
        <title>{`${props.title} · trackbridge`}</title>
        <link rel="stylesheet" href={`${BASE}/assets/console.css`} />
      </head>
      <body>
        <main class="login">
          <h1>{props.title}</h1>
          <p>{props.text}</p>
          {props.refreshTo ? (
            <a href={props.refreshTo}>Continue</a>
          ) : (
            <a href={`${BASE}/login`}>Sign in again</a>
          )}
        </main>
      </body>
    </html>
  );
}
