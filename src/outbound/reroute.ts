/**
 * A reroute to a backup template (the template gate's answer for a paused, disabled or rejected
 * template with a backup, `decide`'s `backup`): the same send with the backup's name and language. Pure.
 */
export function applyReroute(to: { name: string; language: string }, payload: Record<string, unknown>): { payload: Record<string, unknown>; from: { name: string; language: string } } {
  const from = { name: String(payload.name), language: String((payload.language as { code?: string } | undefined)?.code ?? '') };
  return { payload: { ...payload, name: to.name, language: { ...(payload.language as object), code: to.language } }, from };
}
