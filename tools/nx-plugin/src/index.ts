export { toolGenerator, addTool, planTool, ToolPlan } from './generators/tool/generator';
export { ToolGeneratorSchema } from './generators/tool/schema';
export { chartValuesGenerator, planChartValues, ChartValuesPlan } from './generators/chart-values/generator';
export { ChartValuesGeneratorSchema } from './generators/chart-values/schema';
export { serverGenerator } from './generators/server/generator';
export { ServerGeneratorSchema } from './generators/server/schema';
export { registerProvider } from './utils/register-provider';
export { toolNames, ToolNames, MCP_TOOL_NAME_PATTERN } from './utils/tool-names';
export { GeneratorOptionError } from './utils/generator-option-error';
