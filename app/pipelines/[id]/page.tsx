import { notFound } from "next/navigation";
import { PipelineEditor } from "@/components/editor/PipelineEditor";
import { getPipeline } from "@/server/pipelines/repository";
import { services } from "@/server/services";
import "@/components/editor/editor.css";

export const dynamic = "force-dynamic";

export default async function PipelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const found = await getPipeline(services().db, id);
  if (!found) notFound();
  return (
    <PipelineEditor
      key={`${found.id}:${found.version}`}
      pipelineId={found.id}
      initial={found.draft ?? found.document}
      initialIsDraft={found.draft !== undefined}
      initialVersion={found.version}
      initialVersionLabel={found.versionLabel}
    />
  );
}
