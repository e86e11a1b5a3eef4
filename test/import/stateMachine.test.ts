import { parseStateMachine } from '../../src/import/stepFunctions/stateMachine';
import { lineOf } from '../config/pipelineFiles';
import { chain, glueTask, imported } from './importing';

const parsing = (text: string) => () => parseStateMachine('machine.asl.json', text);

test.each([
  ['not JSON', '{ "StartAt": ', /^machine\.asl\.json: not JSON \(.+\): give the state machine's definition/],
  ['a list', '[1, 2]', /not an Amazon States Language definition: it needs "StartAt" \(a state name\) and "States"/],
  ['no StartAt', '{ "States": {} }', /not an Amazon States Language definition/],
  ['no States', '{ "StartAt": "A" }', /not an Amazon States Language definition/],
  ['a StartAt that names no state', '{ "StartAt": "B", "States": { "A": { "Type": "Succeed" } } }', /"StartAt" names "B", which is not one of the states \(A\)/],
])('%s is refused: %p', (_case, text, message) => {
  expect(parsing(text)).toThrow(message);
});

test('a state without a Type is refused at its line', () => {
  const text = JSON.stringify({ StartAt: 'A', States: { A: { Next: 'B' }, B: { Type: 'Succeed' } } }, null, 2);
  expect(parsing(text)).toThrow(`machine.asl.json:${lineOf(text, '"A": {')}: state "A" has no "Type"`);
});

test.each([
  ['Next', { Type: 'Pass', Next: 'Nowhere' }],
  ['Catch', { ...glueTask('job'), End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Nowhere' }] }],
  ['Choice rule', { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Nowhere' }], Default: 'B' }],
])('a %s that names no state is refused at the state that has it', (_case, state) => {
  const text = JSON.stringify({ StartAt: 'A', States: { A: state, B: { Type: 'Succeed' } } }, null, 2);
  expect(parsing(text)).toThrow(`machine.asl.json:${lineOf(text, '"A": {')}: state "A" goes to "Nowhere", which is not one of the states`);
});

test('a cycle along Next is refused, naming the states round it', () => {
  const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { ...glueTask('job'), Next: 'A' } } };
  const json = JSON.stringify(definition, null, 2);
  expect(() => imported(definition)).toThrow(`machine.asl.json:${lineOf(json, '"A": {')}: the states go round in a cycle (A -> B -> A)`);
});

test('line numbers are those of the state keys, also in a file indented with tabs', () => {
  const text = JSON.stringify(chain({ First: glueTask('one'), Second: glueTask('two') }), null, '\t');
  const machine = parseStateMachine('machine.asl.json', text);
  expect(machine.lineOf('First')).toBe(lineOf(text, '"First": {'));
  expect(machine.lineOf('Second')).toBe(lineOf(text, '"Second": {'));
});

test("describe-state-machine's output is read for its definition and name, lines counted in the definition", () => {
  const definition = JSON.stringify(chain({ First: glueTask('one'), Second: glueTask('two') }), null, 2);
  const described = JSON.stringify({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:daily-etl', name: 'DailyEtl', definition });

  const machine = parseStateMachine('described.json', described);

  expect(machine).toMatchObject({ file: 'described.json "definition"', name: 'DailyEtl', startAt: 'First' });
  expect(machine.lineOf('Second')).toBe(lineOf(definition, '"Second": {'));
  expect(parseStateMachine('daily-etl.asl.json', definition).name).toBe('daily-etl');
});

test('describe-state-machine output whose definition is not one is refused as such', () => {
  expect(parsing(JSON.stringify({ name: 'DailyEtl', definition: '{ "States": {} }' }))).toThrow(
    /^machine\.asl\.json "definition": not an Amazon States Language definition/,
  );
});
