import { Injectable } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { McpTool } from '@mcp-platform/mcp-tools';
import { RED_PIXEL_PNG_BASE64, SILENT_WAV_BASE64 } from './content-fixtures';
import { NoArguments } from './no-arguments.input';

/**
 * The conformance suite's content scenarios (`tools-call-simple-text`, `-image`, `-audio`,
 * `-embedded-resource`, `-mixed-content`): fixed names, no arguments, fixed results as the
 * scenario descriptions state them.
 */
@Injectable()
export class ContentTools {
  @McpTool({
    name: 'test_simple_text',
    description: 'Returns a fixed text (conformance scenario tools-call-simple-text).',
    input: NoArguments,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  simpleText(): string {
    return 'This is a simple text response for testing.';
  }

  @McpTool({
    name: 'test_image_content',
    description: 'Returns a 1x1 PNG image (conformance scenario tools-call-image).',
    input: NoArguments,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  imageContent(): CallToolResult {
    return { content: [{ type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' }] };
  }

  @McpTool({
    name: 'test_audio_content',
    description: 'Returns a short silent WAV clip (conformance scenario tools-call-audio).',
    input: NoArguments,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  audioContent(): CallToolResult {
    return { content: [{ type: 'audio', data: SILENT_WAV_BASE64, mimeType: 'audio/wav' }] };
  }

  @McpTool({
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource (conformance scenario tools-call-embedded-resource).',
    input: NoArguments,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  embeddedResource(): CallToolResult {
    return {
      content: [
        {
          type: 'resource',
          resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
        },
      ],
    };
  }

  @McpTool({
    name: 'test_multiple_content_types',
    description: 'Returns text, an image and an embedded resource together (conformance scenario tools-call-mixed-content).',
    input: NoArguments,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  multipleContentTypes(): CallToolResult {
    return {
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) },
        },
      ],
    };
  }
}
