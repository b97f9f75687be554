/** Self and inclusive time per function of a V8 CPU profile (`profile.ts`, `profile-cold.ts`). */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Prints the top functions by self and by inclusive time, each divided by `per` (requests) and `scale` (µs per unit). */
export function printProfile(profile: Profile, per: number, unit: string, scale: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const nameOf = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    return `${frame.functionName || '(anonymous)'}:${frame.lineNumber}`;
  };
  const self = new Map<string, number>();
  // Inclusive time: a function's own samples and those of everything it called,
  // each sample counted once per function even when the function recurses.
  const inclusive = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    self.set(nameOf(id), (self.get(nameOf(id)) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(at);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
    }
  });
  const print = (title: string, times: Map<string, number>, count: number) => {
    process.stdout.write(`${title}:\n`);
    for (const [name, us] of [...times].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      process.stdout.write(`${(us / per / scale).toFixed(2).padStart(8)} ${unit}  ${name}\n`);
    }
  };
  print('self time', self, 30);
  print('inclusive time', inclusive, 45);
}
