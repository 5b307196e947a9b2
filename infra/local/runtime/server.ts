/**
 * The local gateway bound to 127.0.0.1 with its token verifier and OpenID provider. The issuer is
 * the base URL, known once the port is bound: until then no token passes.
 */
import type { AddressInfo } from 'node:net';
import { loadClientSecretKey } from '../../../shared/identity/local-directory.js';
import { createDocumentClient, localClientConfig } from '../../../shared/store/client.js';
import { DynamoIdentityStore } from '../../../shared/store/identity-store.js';
import { type BoundRoute, createGateway } from '../gateway.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '../identity/provider.js';
import type { LocalPaths } from '../paths.js';
import { createVerifier, type LocalSigningKeys, recordIssuer, type TokenVerifier } from '../tokens.js';
import { staticAnswer } from '../web.js';

export interface LocalServerOptions {
  readonly routes: readonly BoundRoute[];
  readonly keys: LocalSigningKeys;
  readonly paths: LocalPaths;
  readonly dynamoEndpoint: string;
  /** The Campaign table, where the identity provider keeps its users and clients. */
  readonly campaignTable: string;
  /** Gateway port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Serve the dashboard (web/dist) at `/`. */
  readonly dashboard: boolean;
  readonly dropResponse?: (routeKey: string) => boolean;
  readonly log: (line: string) => void;
}

export interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { keys, paths, log } = options;
  let url = '';
  let verifier: TokenVerifier = async () => {
    throw new Error('the local system is starting');
  };
  let identity: LocalIdentityProvider | undefined;
  const server = createGateway({
    routes: options.routes,
    verify: (token) => verifier(token),
    identity: { handle: async (req, res) => (identity ? identity.handle(req, res) : false) },
    onError: (error) => log(`gateway error: ${(error as Error).stack ?? String(error)}`),
    ...(options.dropResponse && { dropResponse: options.dropResponse }),
    ...(options.dashboard && {
      staticFiles: (pathname: string) => staticAnswer(pathname, () => ({ apiUrl: url }), url),
    }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  try {
    const { port } = server.address() as AddressInfo;
    url = `http://127.0.0.1:${port}`;
    await recordIssuer(paths.keys, url);
    verifier = await createVerifier(keys, { issuer: url });
    identity = createLocalIdentityProvider({
      issuer: url,
      keys,
      clientSecretKey: await loadClientSecretKey(paths.keys),
      store: new DynamoIdentityStore(
        createDocumentClient(localClientConfig(options.dynamoEndpoint)),
        options.campaignTable,
      ),
      log,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}
