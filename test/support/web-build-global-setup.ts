/**
 * Builds the dashboard (web/dist) once before the infra and e2e projects: the CDK app deploys it
 * (its stack refuses to synthesize without web/dist/index.html) and the local runtime serves it.
 * On a fresh clone there is no build yet; when it is up to date this costs one stat per source.
 */
import { ensureWebBuild } from '../../infra/local/web.js';

export default async function setup() {
  await ensureWebBuild();
}
