/**
 * The practice whose service this deployment is: its name, logo, contact details and legal texts.
 * One directory holds it (`practice/` by default; `PRACTICE_DIR` locally, `-c practiceDir=` on AWS):
 * `practice.json` (validated by {@link PracticeFile}), `logo.svg`, `terms.md` and `privacy.md`.
 * The web app gets it in `config.json` as {@link Practice}; the files are served under
 * {@link PRACTICE_PATH}; the functions get the name as `PRACTICE_NAME`.
 */
import * as v from 'valibot';
import { isValidTimeZone } from './zoned-time';

/** Where the static site serves the practice's files (logo and legal texts). */
export const PRACTICE_PATH = '/practice';
/** The files of a practice directory besides `practice.json`, served as they are. */
export const PRACTICE_FILES = ['logo.svg', 'terms.md', 'privacy.md'] as const;

const Text = (name: string, max: number) =>
  v.pipe(
    v.string(`${name} must be text`),
    v.trim(),
    v.nonEmpty(`${name} is required`),
    v.maxLength(max, `${name} must be at most ${max} characters`),
  );

/** `practice.json`. */
export const PracticeFile = v.strictObject(
  {
    /** As patients know it: in the header, texts, calendar entries ("Riverside Demo Clinic"). */
    name: Text('name', 60),
    /** One line under the name on the landing page. */
    tagline: v.optional(Text('tagline', 140)),
    /** The support line patients call, in international format (+12125550123). */
    phone: v.pipe(
      v.string('phone must be text'),
      v.regex(/^\+[1-9]\d{6,14}$/, 'phone must be in international format, e.g. +12125550123'),
    ),
    /** As it is shown ("(212) 555-0123"). @default the international number */
    phoneDisplay: v.optional(Text('phoneDisplay', 40)),
    email: v.pipe(v.string('email must be text'), v.trim(), v.email('email must be an email address')),
    /** Postal address, one line per entry. */
    address: v.pipe(
      v.array(Text('each address line', 100), 'address must be a list of lines'),
      v.minLength(1, 'address needs at least one line'),
      v.maxLength(6, 'address has at most 6 lines'),
    ),
    /** When the support line answers, in words ("Monday to Friday, 8 am to 6 pm"). */
    hours: v.optional(Text('hours', 140)),
    /** The practice's own zone (IANA), named next to the opening hours. */
    timeZone: v.optional(
      v.pipe(
        v.string('timeZone must be text'),
        v.check(isValidTimeZone, 'timeZone must be an IANA time zone, e.g. America/New_York'),
      ),
    ),
    /** Minutes after a visit's start before a doctor may mark a no-show. @default 10 */
    noShowGraceMinutes: v.optional(
      v.pipe(
        v.number('noShowGraceMinutes must be a number'),
        v.integer('noShowGraceMinutes must be whole minutes'),
        v.minValue(0, 'noShowGraceMinutes cannot be negative'),
        v.maxValue(60, 'noShowGraceMinutes is at most 60'),
      ),
    ),
  },
  (issue) => {
    const key = String(issue.path?.[0]?.key);
    return issue.input === undefined ? `${key} is required` : `practice.json has an unknown field ${key}`;
  },
);
export type PracticeFile = v.InferOutput<typeof PracticeFile>;

/** What the web app gets in `config.json`: the file's details and where its files are served. */
export interface Practice extends PracticeFile {
  phoneDisplay: string;
  logoUrl: string;
  termsUrl: string;
  privacyUrl: string;
}

/** The web app's view of a validated `practice.json`. */
export function practiceForWeb(file: PracticeFile): Practice {
  return {
    ...file,
    phoneDisplay: file.phoneDisplay ?? file.phone,
    logoUrl: `${PRACTICE_PATH}/logo.svg`,
    termsUrl: `${PRACTICE_PATH}/terms.md`,
    privacyUrl: `${PRACTICE_PATH}/privacy.md`,
  };
}

/** Validates a parsed `practice.json`; a failure names every problem in one message. */
export function parsePracticeFile(input: unknown): PracticeFile {
  const result = v.safeParse(PracticeFile, input);
  if (result.success) return result.output;
  throw new Error(`Invalid practice.json: ${[...new Set(result.issues.map((i) => i.message))].join('; ')}`);
}
