/** "1 network", "3 networks": a count with its noun in the right number (regular English plurals only). */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
