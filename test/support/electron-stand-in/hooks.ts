/**
 * Node module customisation hooks (registered by boot.ts with `module.register`): the bare
 * specifier `electron`, wherever it is imported from, resolves to the stand-in. Nothing else
 * changes, so the rest of the main bundle resolves exactly as it would in the app.
 */
type ResolveContext = { parentURL?: string; conditions: string[] };
type ResolveResult = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

let standInUrl = '';

export function initialize(data: { standInUrl: string }): void {
  standInUrl = data.standInUrl;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<ResolveResult> {
  if (specifier === 'electron') return { url: standInUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
