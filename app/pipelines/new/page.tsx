import { NewPipeline } from "@/components/editor/NewPipeline";

export default function NewPipelinePage() {
  return (
    <>
      <h1>New pipeline</h1>
      <p className="lead">Start from a template, or from an exported pipeline (.json).</p>
      <NewPipeline />
    </>
  );
}
