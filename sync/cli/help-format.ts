/**
 * How `edgress … --help` is laid out: every part wrapped at one width (the
 * terminal's: `$COLUMNS`, else the width of a terminal on stdout, else 80),
 * descriptions written as paragraphs rather than hard-wrapped lines, and the
 * sections after the options (exit statuses, credentials) in commander's own
 * layout, so nothing breaks mid-sentence at another width.
 *
 * @example
 * ```ts
 * command.addHelpText('after', helpSections([{ title: 'Exit status:', items: [['0', 'done'], ['2', 'usage']] }]));
 * ```
 */
import { Help, type Command, type HelpConfiguration, type Option } from 'commander';

/** One section after the options: a title and paragraphs, or term–description items. */
export interface HelpSection {
  readonly title: string;
  readonly paragraphs?: readonly string[];
  readonly items?: readonly (readonly [term: string, description: string])[];
}

const NARROWEST = 40;

/** The width help is wrapped at. */
export function helpWidth(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const columns = Number(env['COLUMNS']);
  if (Number.isInteger(columns) && columns > 0) return Math.max(NARROWEST, columns);
  if (stdout.isTTY && stdout.columns) return Math.max(NARROWEST, stdout.columns);
  return 80;
}

/** Below this many columns beside the terms, descriptions go under their terms instead. */
const NARROWEST_DESCRIPTION = 40;
const UNDER_TERM_INDENT = 8;

/**
 * commander's help settings: the width, paragraphs re-flowed, descriptions
 * under their terms when long option names leave too little room beside
 * them (commander would stop wrapping), no "(default: [])".
 */
export function helpConfiguration(width: number): HelpConfiguration {
  return {
    helpWidth: width,
    // commander leaves text under 40 columns unwrapped; descriptions under their terms are narrower on a narrow terminal.
    minWidthToWrap: 20,
    formatItem(term: string, termWidth: number, description: string, helper: Help): string {
      if (!description || width - termWidth - 4 >= NARROWEST_DESCRIPTION) return Help.prototype.formatItem.call(helper, term, termWidth, description, helper);
      const wrapped = helper.boxWrap(description, width - UNDER_TERM_INDENT);
      return `  ${term}\n${indent(wrapped, UNDER_TERM_INDENT)}`;
    },
    commandDescription: (command: Command) => reflow(command.description()),
    // A repeatable option starts as []: "(default: [])" says nothing.
    optionDescription: (option: Option) => Help.prototype.optionDescription.call(new Help(), option).replace(/ \(default: \[\]\)$/, ''),
  };
}

/** Puts the options a `with…Flags` helper adds under one heading of their own. */
export function grouped(command: Command, heading: string, add: (command: Command) => Command): Command {
  const before = command.options.length;
  add(command);
  for (const option of command.options.slice(before)) option.helpGroup(heading);
  return command;
}

/** Text for `addHelpText('after', …)`, wrapped at {@link helpWidth} when help is shown. */
export function helpSections(sections: readonly HelpSection[]): () => string {
  return () => '\n' + formatSections(sections, helpWidth()).trimEnd();
}

export function formatSections(sections: readonly HelpSection[], width: number): string {
  const help = Object.assign(new Help(), helpConfiguration(width));
  const blocks = sections.map((section) => {
    const lines = [section.title];
    const paragraphs = (section.paragraphs ?? []).map((paragraph) => indent(help.boxWrap(reflow(paragraph), width - 2), 2));
    if (paragraphs.length > 0) lines.push(paragraphs.join('\n\n'));
    const termWidth = Math.max(0, ...(section.items ?? []).map(([term]) => term.length));
    for (const [term, description] of section.items ?? []) lines.push(help.formatItem(term, termWidth, reflow(description), help));
    return lines.join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

/** Joins the lines of each paragraph (paragraphs are separated by a blank line). */
function reflow(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}

function indent(text: string, columns: number): string {
  return text
    .split('\n')
    .map((line) => (line ? ' '.repeat(columns) + line : line))
    .join('\n');
}
