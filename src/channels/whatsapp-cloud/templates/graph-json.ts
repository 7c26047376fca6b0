/**
 * Parses a Graph API body, keeping long numeric ids exact: Meta sends template ids as JSON numbers in
 * some places (webhooks, older responses), and an id beyond 2^53 would silently change as a JS number.
 * Numbers of 16 or more digits in an `id`-like field are turned into strings before parsing.
 */
export function parseGraphJson(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text.replace(/("(?:id|message_template_id|hsm_id)"\s*:\s*)(\d{16,})/g, '$1"$2"'));
}
