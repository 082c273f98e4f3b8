import { Module } from '@nestjs/common';
import { AzureAuthModule } from '@mcp-platform/azure-auth';
import { BackendApiClient } from '../backend/backend-api.client';
import { GetUserProfileTool } from './user-profile/get-user-profile.tool';

/** The server's MCP tools. New tools are providers here (the `tool` generator adds them). */
@Module({
  imports: [AzureAuthModule],
  providers: [BackendApiClient, GetUserProfileTool],
})
export class ToolsModule {}
