import Link from "next/link";
import { PipelineList } from "@/components/pipelines/PipelineList";
import { listPipelines } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const pipelines = await listPipelines(services().db);
  return (
    <>
      <h1>Pipelines</h1>
      <p className="lead">
        DStream pipelines of this installation. Open one to edit and run it, or{" "}
        <Link href="/pipelines/new">start a new one from a template</Link>.
      </p>
      <PipelineList pipelines={pipelines} />
    </>
  );
}
