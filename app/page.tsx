import { PipelineList } from "@/components/pipelines/PipelineList";
import { listPipelines } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const pipelines = await listPipelines(services().db);
  return (
    <>
      <h1>Pipelines</h1>
      <p className="lead">DStream pipelines of this installation. Open one to see its streams.</p>
      <PipelineList pipelines={pipelines} />
    </>
  );
}
