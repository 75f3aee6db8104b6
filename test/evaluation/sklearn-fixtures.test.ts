/**
 * classificationReport / confusionMatrix against scikit-learn 1.2.1's own output
 * (fixtures written by tools/gen_report_fixtures.py with Debian's Python).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, type Label, type ZeroDivision } from '../../src/evaluation/index.js';

const fixtureDir = new URL('../fixtures/evaluation/', import.meta.url);

interface ReportVariant {
  digits?: number;
  outputDict?: boolean;
  zeroDivision: ZeroDivision;
  text?: string;
  dict?: Record<string, unknown>;
  warnings: string[];
}
interface ReportCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  labels?: Label[];
  targetNames?: string[];
  sampleWeight?: number[];
  variants: ReportVariant[];
}
interface ConfusionCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  labels?: Label[];
  sampleWeight?: number[];
  results: { normalize: 'true' | 'pred' | 'all' | null; matrix: number[][] }[];
}

const reportCases = (JSON.parse(readFileSync(new URL('report_cases.json', fixtureDir), 'utf8')) as { cases: ReportCase[] }).cases;
const confusionCases = (
  JSON.parse(readFileSync(new URL('confusion_cases.json', fixtureDir), 'utf8')) as { cases: ConfusionCase[] }
).cases;

function asInput(values: Label[]): readonly string[] | number[] {
  return values as readonly string[] | number[];
}

describe('classificationReport equals scikit-learn 1.2', () => {
  it('has the fixture coverage the acceptance asks for', () => {
    const names = reportCases.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['binary ints', 'multiclass 10 classes', 'class 2 never predicted', 'label subset']),
    );
    const variants = reportCases.flatMap((c) => c.variants);
    for (const zd of ['warn', 0, 1]) expect(variants.some((v) => v.zeroDivision === zd && v.text)).toBe(true);
    for (const digits of [2, 4]) expect(variants.some((v) => v.digits === digits)).toBe(true);
    expect(variants.filter((v) => v.warnings.length > 0).length).toBeGreaterThan(5);
  });

  for (const testCase of reportCases) {
    for (const variant of testCase.variants) {
      const label = variant.outputDict ? 'dict' : `digits=${variant.digits}`;
      it(`${testCase.name} (${label}, zeroDivision=${variant.zeroDivision})`, () => {
        const warnings: string[] = [];
        const options = {
          labels: testCase.labels,
          targetNames: testCase.targetNames,
          sampleWeight: testCase.sampleWeight,
          zeroDivision: variant.zeroDivision,
          onWarning: (message: string) => warnings.push(message),
        };
        if (variant.outputDict) {
          const dict = classificationReport(asInput(testCase.yTrue), asInput(testCase.yPred), { ...options, outputDict: true });
          expect(dict).toStrictEqual(variant.dict);
          // Python dicts keep insertion order; ours does too except for integer-like keys.
          const nonNumeric = (keys: string[]) => keys.filter((key) => !/^\d+$/.test(key));
          expect(nonNumeric(Object.keys(dict))).toEqual(nonNumeric(Object.keys(variant.dict!)));
        } else {
          const text = classificationReport(asInput(testCase.yTrue), asInput(testCase.yPred), {
            ...options,
            digits: variant.digits,
          });
          expect(text).toBe(variant.text);
        }
        expect([...new Set(warnings)]).toEqual(variant.warnings);
      });
    }
  }
});

describe('confusionMatrix equals scikit-learn 1.2', () => {
  for (const testCase of confusionCases) {
    for (const result of testCase.results) {
      it(`${testCase.name} (normalize=${result.normalize})`, () => {
        const cm = confusionMatrix(asInput(testCase.yTrue), asInput(testCase.yPred), {
          labels: testCase.labels,
          sampleWeight: testCase.sampleWeight,
          normalize: result.normalize ?? undefined,
        });
        expect(cm).toEqual(result.matrix);
      });
    }
  }
});
