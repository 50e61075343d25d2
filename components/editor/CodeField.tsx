"use client";
import { javascript } from "@codemirror/lang-javascript";
import { linter, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import CodeMirror from "@uiw/react-codemirror";
import { memo } from "react";
import { userSyntaxProblem } from "@/engine/pipeline/userSyntax";
import { useTheme } from "@/components/ui/theme";

/** Marks the syntax error inline as the user types, with the same words as the Problems list. */
const syntaxLinter = linter((view) => {
  const source = view.state.doc.toString();
  if (source.trim() === "") return [];
  const problem = userSyntaxProblem(source);
  if (!problem) return [];
  const found: CmDiagnostic = { from: problem.from, to: Math.max(problem.from, problem.to), severity: "error", message: `line ${problem.line}, column ${problem.column}: ${problem.message}` };
  return [found];
}, { delay: 200 });

const extensions = [javascript(), syntaxLinter, lintGutter()];

/** A JavaScript function field: CodeMirror with highlighting and inline syntax errors; offline. */
function CodeFieldImpl({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const theme = useTheme();
  return (
    <div className="code-field" aria-label={label} data-testid={`code-${label}`}>
      <CodeMirror theme={theme} value={value} extensions={extensions} onChange={onChange} basicSetup={{ lineNumbers: true, foldGutter: false, autocompletion: false }} minHeight="48px" maxHeight="220px" />
    </div>
  );
}
export const CodeField = memo(CodeFieldImpl);
