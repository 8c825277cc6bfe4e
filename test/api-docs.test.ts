/**
 * The public API is documented (API.md is generated from these comments): every type exported by src/index.ts has a
 * doc comment, so does each of its public members, and every optional property says what happens without it
 * (`@default`). Read from the TypeScript sources, so no build is needed.
 */
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');
const ENTRY = path.join(SRC, 'index.ts');

let cached: ts.Program | undefined;

/** The program of src/index.ts with the package's own compiler options (built once: it takes seconds). */
function program(): ts.Program {
  if (cached) return cached;
  const configFile = ts.findConfigFile(path.join(__dirname, '..'), ts.sys.fileExists, 'tsconfig.json')!;
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, path.dirname(configFile));
  cached = ts.createProgram([ENTRY], { ...config.options, noEmit: true });
  return cached;
}

function hasDocComment(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (doc.comment ?? '').toString().trim().length > 0);
}

function hasTag(node: ts.Node, tag: string): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === tag);
}

function isPublicMember(member: ts.ClassElement | ts.TypeElement): boolean {
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return false;
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  return !ts.isConstructorDeclaration(member) && !ts.isClassStaticBlockDeclaration(member) && !ts.isIndexSignatureDeclaration(member);
}

function memberName(member: ts.ClassElement | ts.TypeElement): string {
  return member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : '<computed>';
}

interface ApiType {
  readonly name: string;
  readonly file: string;
  readonly declaration: ts.Declaration;
}

/** The declarations of every type the package exports, from the sources under src/. */
function exportedTypes(): ApiType[] {
  const p = program();
  const checker = p.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(p.getSourceFile(ENTRY)!)!;
  return checker.getExportsOfModule(moduleSymbol).flatMap((exported) => {
    const symbol = exported.declarations?.some(ts.isExportSpecifier) ? checker.getAliasedSymbol(exported) : exported;
    return (symbol.declarations ?? [])
      .filter((declaration) => declaration.getSourceFile().fileName.startsWith(SRC))
      .map((declaration) => ({ name: exported.name, file: path.relative(SRC, declaration.getSourceFile().fileName), declaration }));
  });
}

/** `<file> <Type>[.<member>]: <problem>` for each gap. */
function documentationGaps(): string[] {
  const gaps: string[] = [];
  for (const { name, file, declaration } of exportedTypes()) {
    if (!hasDocComment(declaration)) gaps.push(`${file} ${name}: no doc comment`);
    const members: ReadonlyArray<ts.ClassElement | ts.TypeElement | ts.EnumMember> =
      ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration) || ts.isEnumDeclaration(declaration)
        ? declaration.members : [];
    for (const member of members) {
      if (ts.isEnumMember(member)) {
        if (!hasDocComment(member)) gaps.push(`${file} ${name}.${member.name.getText()}: no doc comment`);
        continue;
      }
      if (!isPublicMember(member)) continue;
      const memberPath = `${file} ${name}.${memberName(member)}`;
      if (!hasDocComment(member)) gaps.push(`${memberPath}: no doc comment`);
      const optional = (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) && member.questionToken !== undefined;
      if (optional && !hasTag(member, 'default')) gaps.push(`${memberPath}: optional without @default`);
    }
  }
  return gaps;
}

test('the check sees the whole public API', () => {
  const names = exportedTypes().map((type) => type.name);
  for (const expected of ['ConfigurationSet', 'ConfigurationSetProps', 'IConfigurationSet', 'TlsPolicy', 'DedicatedIpPool',
    'EmailIdentity', 'Identity', 'DeliverabilityTest', 'TestContent', 'DeliverabilityDashboard', 'DeliverabilityDashboardProps']) {
    expect(names).toContain(expected);
  }
});

test('every exported type and public member has a doc comment, and every optional property a @default', () => {
  expect(documentationGaps()).toEqual([]);
});

test('the check finds a gap', () => {
  const source = ts.createSourceFile('x.ts', [
    '/** Documented. */',
    'export interface Props {',
    '  /** No default. */',
    '  readonly optional?: string;',
    '  readonly undocumented: string;',
    '}',
  ].join('\n'), ts.ScriptTarget.Latest, true);
  const [declaration] = source.statements as unknown as ts.InterfaceDeclaration[];
  const [optional, undocumented] = declaration.members;

  expect(hasDocComment(declaration)).toBe(true);
  expect(hasTag(optional, 'default')).toBe(false);
  expect(hasDocComment(undocumented)).toBe(false);
});
