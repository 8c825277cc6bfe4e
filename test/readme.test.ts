/**
 * The README's TypeScript blocks compile against the built library (lib/, as a user installs it), each completed
 * with its jsii-rosetta fixture (rosetta/*.ts-fixture) the way Construct Hub completes it; pasted together into one
 * stack they declare no variable or construct id twice; and every block synthesizes.
 *
 * Needs a compiled library: `npx projen compile` (the test task compiles first when lib/ is older than src/).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const WORK_DIR = path.join(ROOT, '.tmp', 'readme-snippets');
const BUILT_TYPES = path.join(ROOT, 'lib', 'index.d.ts');

// jsii-rosetta's own markdown extraction and fixture completion, so that this test completes a block exactly as
// `jsii-rosetta extract` does (they are not in its package exports, hence the file paths).
const ROSETTA_LIB = path.dirname(require.resolve('jsii-rosetta'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractTypescriptSnippetsFromMarkdown } = require(path.join(ROSETTA_LIB, 'markdown', 'extract-snippets.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fixturize } = require(path.join(ROSETTA_LIB, 'fixtures.js'));

interface RosettaSnippet {
  readonly visibleSource: string;
  readonly completeSource?: string;
  readonly parameters?: Record<string, string>;
}

interface Block {
  readonly name: string;
  readonly visibleSource: string;
  /** The block inside its fixture. */
  readonly completeSource: string;
  readonly usesDefaultFixture: boolean;
}

function readmeBlocks(): Block[] {
  const markdown = fs.readFileSync(README, 'utf8');
  const snippets: RosettaSnippet[] = extractTypescriptSnippetsFromMarkdown(markdown, { api: 'moduleReadme', moduleFqn: 'cdk-pinpoint-email' }, true);
  return snippets.map((snippet, i) => {
    const parameters: Record<string, string> = { ...snippet.parameters, $directory: ROOT };
    const completed: RosettaSnippet = fixturize({ ...snippet, parameters }, false);
    const usesDefaultFixture = parameters.fixture === undefined && parameters.nofixture === undefined;
    return { name: `block-${i + 1}`, visibleSource: snippet.visibleSource, completeSource: completed.completeSource!, usesDefaultFixture };
  });
}

/**
 * The blocks of the default fixture pasted one after the other into that fixture, their imports merged as a user
 * merges them (one import per module, with every name any block imports from it).
 */
function pastedTogether(blocks: Block[]): string {
  const named = new Map<string, Set<string>>();
  const otherImports = new Set<string>();
  const statements: string[] = [];
  for (const block of blocks.filter((b) => b.usesDefaultFixture)) {
    const file = ts.createSourceFile('block.ts', block.visibleSource, ts.ScriptTarget.Latest, true);
    for (const statement of file.statements) {
      const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
      if (bindings && ts.isNamedImports(bindings)) {
        const module = (statement as ts.ImportDeclaration).moduleSpecifier.getText(file);
        const names = named.get(module) ?? new Set<string>();
        bindings.elements.forEach((element) => names.add(element.getText(file)));
        named.set(module, names);
      } else if (ts.isImportDeclaration(statement)) {
        otherImports.add(statement.getText(file));
      } else {
        statements.push(statement.getFullText(file));
      }
    }
  }
  const imports = [...otherImports, ...[...named].map(([module, names]) => `import { ${[...names].join(', ')} } from ${module};`)];
  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
  return `${imports.join('\n')}\n${fixture.replace(/\/\/\/ here/, statements.join('\n'))}`;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  // As the package's own tsconfig: CommonJS files, since no package.json on the way up says "type": "module".
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  skipLibCheck: true,
  types: [],
};

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, COMPILER_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.basename(diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
}

/** Runs each program in one Node process, with `cdk-pinpoint-email` resolving to this package (lib/). */
function run(files: string[]): void {
  const scripts = files.map((file) => {
    const source = fs.readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    const script = file.replace(/\.ts$/, '.js');
    fs.writeFileSync(script, outputText);
    return script;
  });
  const runner = `for (const file of ${JSON.stringify(scripts)}) { process.stderr.write(file + '\\n'); require(file); }`;
  execFileSync(process.execPath, ['-e', runner], { cwd: WORK_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('README', () => {
  let blocks: Block[];
  const files = new Map<string, string>();

  beforeAll(() => {
    if (!fs.existsSync(BUILT_TYPES)) throw new Error(`${BUILT_TYPES} is missing: build the library first (npx projen compile)`);
    fs.rmSync(WORK_DIR, { recursive: true, force: true });
    fs.mkdirSync(path.join(WORK_DIR, 'node_modules'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(WORK_DIR, 'node_modules', 'cdk-pinpoint-email'), 'dir');
    blocks = readmeBlocks();
    // A fixture's `app` is synthesized after the block, so that the constructs' synth-time checks run too.
    for (const block of blocks) {
      const synth = block.usesDefaultFixture ? '\napp.synth();\n' : '';
      files.set(block.name, write(`${block.name}.ts`, block.completeSource + synth));
    }
    files.set('pasted-together', write('pasted-together.ts', `${pastedTogether(blocks)}\napp.synth();\n`));
  });

  function write(name: string, source: string): string {
    const file = path.join(WORK_DIR, name);
    fs.writeFileSync(file, source);
    return file;
  }

  test('has TypeScript blocks, and a first one that needs no fixture (a complete app to copy)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks[0].usesDefaultFixture).toBe(false);
    expect(blocks[0].completeSource).toBe(blocks[0].visibleSource);
  });

  test('every block, in its fixture, type-checks against the built library', () => {
    expect(typeErrors(blocks.map((block) => files.get(block.name)!))).toEqual([]);
  });

  test('the blocks pasted together into one stack declare no variable twice', () => {
    expect(typeErrors([files.get('pasted-together')!])).toEqual([]);
  });

  // Synthesis also fails on a `fromLookup` in a stack without an account and region.
  test('every block synthesizes, alone and pasted together (no construct id used twice)', () => {
    expect(() => run([...files.values()])).not.toThrow();
  });
});
