import { describe, expect, it } from 'vitest';
import {
  bindCypher,
  bindSql,
  globEscape,
  placeholders,
  renderArguments,
  renderEnvironment,
  renderFilter,
  renderGlob,
  renderTemplate,
  renderValue,
} from '../../../src/contracts/render.js';
import { ApexError } from '../../../src/errors.js';

const vars = { runId: '2d-20261202t1333z-ab12-concurrent', n: '00007', documentName: 'load-test-x-doc-00007.txt', localCpuSteps: true, index: 7, empty: '' };

describe('contract templates', () => {
  it('interpolates placeholders and leaves every other brace alone', () => {
    expect(renderTemplate('load-test-{runId}-doc-{n}.txt', vars)).toBe('load-test-2d-20261202t1333z-ab12-concurrent-doc-00007.txt');
    expect(renderTemplate('{ not a placeholder } {a:b} {index}{empty}', vars)).toBe('{ not a placeholder } {a:b} 7');
    expect(placeholders('{runId}-{n}-{runId} {postgres.host}')).toEqual(['runId', 'n', 'postgres.host']);
  });

  it('names the variable, the template and the variables it may use when one has no value', () => {
    const error = (() => {
      try {
        renderTemplate('doc:{documentUuid}', vars);
      } catch (caught) {
        return caught as ApexError;
      }
      throw new Error('expected a template error');
    })();
    expect(error).toBeInstanceOf(ApexError);
    expect(error.code).toBe('CONTRACT_TEMPLATE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`The worker contract's template "doc:{documentUuid}" uses {documentUuid}, which has no value here.`);
    expect(error.fix).toContain('{runId}, {n}, {documentName}');
  });

  it('keeps the type of a value that is exactly one placeholder, and interpolates the rest', () => {
    expect(renderValue('{localCpuSteps}', vars)).toBe(true);
    expect(renderValue('{index}', vars)).toBe(7);
    expect(renderValue('{index}.', vars)).toBe('7.');
  });

  it('renders a positional list item by item, and an object as the one argument', () => {
    expect(renderArguments(['{documentName}', 'load-test', '{index}'], vars)).toEqual(['load-test-x-doc-00007.txt', 'load-test', 7]);
    expect(renderArguments({ runId: '{runId}', options: { localCpuSteps: '{localCpuSteps}', fixed: 3 }, tags: ['{n}'] }, vars)).toEqual([
      { runId: vars.runId, options: { localCpuSteps: true, fixed: 3 }, tags: ['00007'] },
    ]);
  });

  it('binds SQL placeholders as numbered parameters, one per variable, and never interpolates them', () => {
    const hostile = { name: "x'; DROP TABLE documents; --", runId: 'r1' };
    const bound = bindSql('SELECT count(*) FROM documents WHERE file_name = {name} OR run_id = {runId} OR file_name = {name}', hostile);
    expect(bound).toEqual({ text: 'SELECT count(*) FROM documents WHERE file_name = $1 OR run_id = $2 OR file_name = $1', values: [hostile.name, 'r1'] });
  });

  it('binds Cypher placeholders as $parameters and keeps the map braces', () => {
    expect(
      bindCypher('MATCH (d:Document {uuid: {documentUuid}}) WHERE d.host = {postgres.host} RETURN count(d)', { documentUuid: 'u-1', 'postgres.host': 'h' }),
    ).toEqual({
      text: 'MATCH (d:Document {uuid: $documentUuid}) WHERE d.host = $postgres_host RETURN count(d)',
      params: { documentUuid: 'u-1', postgres_host: 'h' },
    });
  });

  it('renders a Qdrant filter, keeping a sole numeric placeholder a number', () => {
    const filter = {
      must: [
        { key: 'document_uuid', match: { value: '{documentName}' } },
        { key: 'ordinal', range: { gte: '{index}' } },
      ],
    };
    expect(renderFilter(filter, vars)).toEqual({
      must: [
        { key: 'document_uuid', match: { value: vars.documentName } },
        { key: 'ordinal', range: { gte: 7 } },
      ],
    });
    expect(filter.must[1].range?.gte).toBe('{index}');
  });

  it('escapes glob characters in substituted values only', () => {
    expect(globEscape('a*b?c[d]e\\f^')).toBe('a\\*b\\?c\\[d\\]e\\\\f\\^');
    expect(renderGlob('apex:doc:{runId}:*', { runId: 'r?[1]' })).toBe('apex:doc:r\\?\\[1\\]:*');
  });

  it('renders a worker environment as text', () => {
    expect(
      renderEnvironment(
        { NEO4J_URI: 'bolt://{neo4j.host}:{neo4j.port}', QDRANT_API_KEY: '{qdrant.apiKey}' },
        { 'neo4j.host': '127.0.0.1', 'neo4j.port': 7687, 'qdrant.apiKey': '' },
      ),
    ).toEqual({
      NEO4J_URI: 'bolt://127.0.0.1:7687',
      QDRANT_API_KEY: '',
    });
  });
});
