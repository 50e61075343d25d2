import Link from "next/link";
import { PipelineList } from "@/components/pipelines/PipelineList";
import { TemplateCard } from "@/components/pipelines/TemplateCard";
import { EXAMPLE_TEMPLATE_IDS, templateInfo } from "@/components/pipelines/templateInfo";
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
      <section className="examples" aria-labelledby="examples-title">
        <h2 id="examples-title">Start with an example</h2>
        <p className="examples-lead">
          Run starts the pipeline made from the example (creating it the first time) and opens its live dashboard;
          Run a new copy makes another one, numbered.
        </p>
        <ul className="card-list template-grid" data-testid="example-templates">
          {EXAMPLE_TEMPLATE_IDS.map((id) => (
            <TemplateCard key={id} template={templateInfo(id)} />
          ))}
        </ul>
      </section>
      <PipelineList pipelines={pipelines} />
    </>
  );
}
