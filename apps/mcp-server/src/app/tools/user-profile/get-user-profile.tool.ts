import { Injectable } from '@nestjs/common';
import { TokenAcquisitionError } from '@mcp-platform/azure-auth';
import { McpTool, ToolCallContext, ToolError } from '@mcp-platform/mcp-tools';
import { BackendApiClient, BackendUnavailableError } from '../../backend/backend-api.client';
import { GetUserProfileInput } from './get-user-profile.input';
import { UserProfile } from './user-profile.output';

@Injectable()
export class GetUserProfileTool {
  constructor(private readonly backend: BackendApiClient) {}

  @McpTool({
    name: 'get_user_profile',
    title: 'Get user profile',
    description: 'Looks up a user profile in the backend API by user id.',
    input: GetUserProfileInput,
    output: UserProfile,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  async getUserProfile(input: GetUserProfileInput, context: ToolCallContext): Promise<UserProfile> {
    const userId = input.user_id;
    try {
      const response = await this.backend.get(`users/${encodeURIComponent(userId)}`, context.signal);
      if (response.status === 404) throw new ToolError(`user ${userId} not found`);
      if (response.status >= 500) throw new ToolError(`backend API failed with HTTP ${response.status}`);
      if (response.status === 401 || response.status === 403) throw new ToolError(`backend API refused the call (HTTP ${response.status})`);
      if (response.status !== 200) throw new ToolError(`backend API answered HTTP ${response.status}`);
      return toUserProfile(response.body);
    } catch (error) {
      if (error instanceof BackendUnavailableError) throw new ToolError(error.message);
      // Entra's reason (an AADSTS code and its text) is safe to show and is what an operator needs.
      if (error instanceof TokenAcquisitionError) throw new ToolError(`could not get a token for the backend API: ${error.message}`);
      throw error;
    }
  }
}

function toUserProfile(body: unknown): UserProfile {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof record['id'] !== 'string' || typeof record['name'] !== 'string') {
    throw new ToolError('backend API returned a malformed user profile');
  }
  const profile: UserProfile = { id: record['id'], name: record['name'] };
  if (typeof record['email'] === 'string') profile.email = record['email'];
  if (typeof record['department'] === 'string') profile.department = record['department'];
  return profile;
}
