"use client";
import { javascript } from "@codemirror/lang-javascript";
import { syntaxTree } from "@codemirror/language";
import { linter, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import CodeMirror from "@uiw/react-codemirror";
import { memo } from "react";

/** Marks the parser's error nodes inline, as the user types (no server round trip). */
const syntaxLinter = linter((view) => {
  const found: CmDiagnostic[] = [];
  syntaxTree(view.state).iterate({
    enter: (node) => {
      if (node.type.isError && found.length < 5) {
        const from = Math.min(node.from, view.state.doc.length);
        found.push({ from, to: Math.max(from, Math.min(node.to, view.state.doc.length)), severity: "error", message: "syntax error" });
      }
    },
  });
  return found;
}, { delay: 200 });

const extensions = [javascript(), syntaxLinter, lintGutter()];

/** A JavaScript function field: CodeMirror with highlighting and inline syntax errors; offline. */
function CodeFieldImpl({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  return (
    <div className="code-field" aria-label={label} data-testid={`code-${label}`}>
      <CodeMirror value={value} extensions={extensions} onChange={onChange} basicSetup={{ lineNumbers: true, foldGutter: false, autocompletion: false }} minHeight="48px" maxHeight="220px" />
    </div>
  );
}
export const CodeField = memo(CodeFieldImpl);
