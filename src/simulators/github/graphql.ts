/**
 * `POST /graphql` on the App's GitHub simulator: the Projects v2 subset of
 * src/simulators/github-projects, answered for an installation token with GitHub's access
 * rules: the token sees the repositories of its installation and the projects of the
 * organization it is installed on; a pull request's body is the one this simulator holds.
 */
import { answerGraphql } from "../github-projects/graphql.js";
import type { ProjectsState } from "../github-projects/state.js";
import { installationRoute, type Route } from "./router.js";
import type { SimState } from "./state.js";

export function graphqlRoutes(state: SimState, projects: ProjectsState): Route[] {
  return [
    installationRoute("POST /graphql", (ctx, installationId) => {
      const account = state.installations.get(installationId)?.account.toLowerCase();
      const viewer = {
        login: `${state.options.appSlug}[bot]`,
        seesRepo: (owner: string, name: string) =>
          state.findRepo(owner, name)?.installationId === installationId,
        seesOrg: (login: string) => login.toLowerCase() === account,
        pull: (owner: string, name: string, number: number) => {
          const repo = state.findRepo(owner, name);
          const pull = repo?.installationId === installationId ? repo.pulls.get(number) : undefined;
          return pull ? { body: pull.body ?? "" } : undefined;
        },
      };
      return answerGraphql(projects, viewer, ctx.body);
    }),
  ];
}
