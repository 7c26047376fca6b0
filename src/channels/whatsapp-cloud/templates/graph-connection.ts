/** Where and as whom template management calls go: one WABA, through one sender's credentials. */
export interface GraphConnection {
  /** `https://graph.facebook.com`, or the emulator's URL. */
  baseUrl: string;
  /** `v21.0`, ... */
  graphVersion: string;
  wabaId: string;
  /** Needs the whatsapp_business_management permission. */
  accessToken: string;
}

export function graphUrl(connection: GraphConnection, path: string, query: Record<string, string | undefined> = {}): string {
  const base = connection.baseUrl.replace(/\/+$/, '');
  const url = new URL(`${base}/${connection.graphVersion}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
