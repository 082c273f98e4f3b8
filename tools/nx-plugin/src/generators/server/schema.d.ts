export interface ServerGeneratorSchema {
  /** e.g. billing-mcp: app, project, image, chart and release name. */
  name: string;
  /** Default example-search. */
  exampleTool?: string;
  skipExampleTool?: boolean;
  skipFormat?: boolean;
}
