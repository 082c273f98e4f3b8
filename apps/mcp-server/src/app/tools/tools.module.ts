import { Module } from '@nestjs/common';
import { BackendApiClient } from '../backend/backend-api.client';
import { GetUserProfileTool } from './user-profile/get-user-profile.tool';

/** The server's MCP tools. New tools are providers here (the `tool` generator adds them). */
@Module({
  providers: [BackendApiClient, GetUserProfileTool],
})
export class ToolsModule {}
