/**
 * A parsed regex compiled into instructions for the Pike VM (`./vm.ts`), as
 * in RE2 and Russ Cox's "Regular Expression Matching: the Virtual Machine
 * Approach": `char` consumes one code unit, `split` forks (first branch
 * preferred), `jmp`, `save` records a capture position, `assert` checks a
 * zero-width condition, `match` ends. Counted repetition is unrolled, so the
 * program's size is the regex's real cost: the VM's time is at most
 * (input length + 1) × size steps. Compiling stops as soon as the size passes
 * `maxSize`.
 *
 * @example
 * ```ts
 * const program = compileProgram(parseRegex('a{2,3}', ''), 2_000);
 * program.instructions.length; // 6: char char split char … match
 * ```
 */
import type { Assertion, CharTest, ParsedRegex, RegexNode } from './parse.ts';

export type Instruction =
  | { readonly op: 'char'; readonly test: CharTest }
  | { op: 'split'; readonly x: number; y: number }
  | { op: 'jmp'; x: number }
  | { readonly op: 'save'; readonly slot: number }
  | { readonly op: 'assert'; readonly kind: Assertion }
  | { readonly op: 'match' };

export interface Program {
  readonly instructions: readonly Instruction[];
  /** Capture slots: two per group, the whole match included. */
  readonly slots: number;
  readonly multiline: boolean;
  /** Every match starts at the start of the input (`^` first, not multiline): no attempt at any later position can match. */
  readonly anchored: boolean;
}

export class ProgramTooLarge extends Error {
  override readonly name = 'ProgramTooLarge';
}

/** Compiles `parsed`; throws {@link ProgramTooLarge} beyond `maxSize` instructions. */
export function compileProgram(parsed: ParsedRegex, maxSize: number): Program {
  const emitter = new Emitter(maxSize);
  emitter.push({ op: 'save', slot: 0 });
  emitter.node(parsed.root);
  emitter.push({ op: 'save', slot: 1 });
  emitter.push({ op: 'match' });
  const instructions = emitter.instructions;
  return { instructions, slots: 2 * (parsed.groups + 1), multiline: parsed.flags.multiline, anchored: startsAnchored(instructions) };
}

/** Whether the only way from the first instruction to a character test passes a start-of-input assertion. */
function startsAnchored(instructions: readonly Instruction[]): boolean {
  for (let pc = 0, steps = 0; pc < instructions.length && steps < instructions.length; steps++) {
    const instruction = instructions[pc]!;
    if (instruction.op === 'save') pc++;
    else if (instruction.op === 'jmp') pc = instruction.x;
    else return instruction.op === 'assert' && instruction.kind === 'bot';
  }
  return false;
}

class Emitter {
  readonly instructions: Instruction[] = [];
  readonly #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  push<I extends Instruction>(instruction: I): I {
    if (this.instructions.length >= this.#maxSize) throw new ProgramTooLarge(`needs more than ${this.#maxSize} instructions`);
    this.instructions.push(instruction);
    return instruction;
  }

  get #next(): number {
    return this.instructions.length;
  }

  node(node: RegexNode): void {
    switch (node.type) {
      case 'char':
      case 'assert':
        this.push(node.type === 'char' ? { op: 'char', test: node.test } : { op: 'assert', kind: node.kind });
        return;
      case 'seq':
        for (const item of node.items) this.node(item);
        return;
      case 'alt':
        return this.#alternation(node.branches);
      case 'group':
        if (node.index === undefined) return this.node(node.body);
        this.push({ op: 'save', slot: 2 * node.index });
        this.node(node.body);
        this.push({ op: 'save', slot: 2 * node.index + 1 });
        return;
      case 'repeat':
        return this.#repeat(node.body, node.min, node.max, node.greedy);
    }
  }

  #alternation(branches: readonly RegexNode[]): void {
    const exits: { op: 'jmp'; x: number }[] = [];
    branches.forEach((branch, index) => {
      const last = index === branches.length - 1;
      const split = last ? undefined : this.push({ op: 'split', x: this.#next + 1, y: -1 });
      this.node(branch);
      if (split) {
        exits.push(this.push({ op: 'jmp', x: -1 }));
        split.y = this.#next;
      }
    });
    for (const exit of exits) exit.x = this.#next;
  }

  #repeat(body: RegexNode, min: number, max: number, greedy: boolean): void {
    for (let i = 0; i < min; i++) this.node(body);
    if (max === Infinity) {
      const loop = this.#next;
      const split = this.push({ op: 'split', x: -1, y: -1 });
      this.node(body);
      this.push({ op: 'jmp', x: loop });
      this.#prefer(split, loop + 1, this.#next, greedy);
      return;
    }
    const splits: { op: 'split'; x: number; y: number }[] = [];
    for (let i = min; i < max; i++) {
      // Taking one more copy goes on (x, for now); declining jumps to the end, known below.
      splits.push(this.push({ op: 'split', x: this.#next + 1, y: -1 }));
      this.node(body);
    }
    for (const split of splits) this.#prefer(split, split.x, this.#next, greedy);
  }

  /** Points `split` at `more` and `done`, in the order the quantifier prefers. */
  #prefer(split: { x: number; y: number }, more: number, done: number, greedy: boolean): void {
    split.x = greedy ? more : done;
    split.y = greedy ? done : more;
  }
}
