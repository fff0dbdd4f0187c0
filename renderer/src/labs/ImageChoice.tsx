/**
 * Which host images to copy into a lab's nodes (they cannot pull from a registry): the lesson images
 * by name, ticked, and any other host images typed in. Used when a lab is created and to load more
 * into a running one.
 */
import { plural } from '../../../electron/common/plural.js';

/** The lesson images a lab can load by name; the back end builds them on the host when missing. */
export const LESSON_IMAGES = [
  { name: 'web', what: 'a page that shows which replica answered' },
  { name: 'registry', what: 'a private registry' },
] as const;
export type LessonImage = (typeof LESSON_IMAGES)[number]['name'];

export interface ImageChoiceState {
  lesson: ReadonlySet<LessonImage>;
  other: string;
}

/** A choice with `ticked` lesson images and no others. */
export const imageChoice = (ticked: readonly LessonImage[]): ImageChoiceState => ({ lesson: new Set(ticked), other: '' });

/** The images chosen: the ticked lesson images by name, then the others as typed (spaces or commas between). */
export function chosenImages(c: ImageChoiceState): string[] {
  return [...LESSON_IMAGES.map((i) => i.name).filter((n) => c.lesson.has(n)), ...c.other.split(/[\s,]+/).filter(Boolean)];
}

export function ImageChoice(props: { legend: string; value: ImageChoiceState; onChange(next: ImageChoiceState): void }) {
  const { value, onChange } = props;
  return (
    <fieldset className="load-images">
      <legend>
        {props.legend} <span className="muted small">(nodes cannot pull)</span>
      </legend>
      {LESSON_IMAGES.map((i) => (
        <label key={i.name} className="check-field">
          <input
            type="checkbox"
            checked={value.lesson.has(i.name)}
            onChange={(e) => {
              const lesson = new Set(value.lesson);
              if (e.target.checked) lesson.add(i.name);
              else lesson.delete(i.name);
              onChange({ ...value, lesson });
            }}
          />{' '}
          <code>{i.name}</code> <span className="muted small">{i.what}</span>
        </label>
      ))}
      <label className="field">
        Other host images <span className="muted small">(separated by spaces)</span>
        <input value={value.other} onChange={(e) => onChange({ ...value, other: e.target.value })} placeholder="nginx:alpine" />
      </label>
    </fieldset>
  );
}

/** What a load did, in a line: per image, how many nodes got it and how many had it already. */
export function loadedSummary(lab: string, results: readonly { node: string; image: string; loaded: boolean }[]): string {
  const byImage = new Map<string, { loaded: number; had: number }>();
  for (const r of results) {
    const c = byImage.get(r.image) ?? { loaded: 0, had: 0 };
    if (r.loaded) c.loaded++;
    else c.had++;
    byImage.set(r.image, c);
  }
  if (!byImage.size) return `${lab} has no running node to load images into.`;
  const parts = [...byImage].map(([image, c]) => (c.loaded ? `${image} loaded into ${plural(c.loaded, 'node')}${c.had ? ` (${c.had} had it already)` : ''}` : `${image} was in every node already`));
  return `${lab}: ${parts.join('; ')}.`;
}
