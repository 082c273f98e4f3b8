import { Injectable } from '@nestjs/common';
import type { AccessToken } from '@azure/identity';
import { TokenProvider } from './token-provider';

/** With no Azure identity configured (a laptop without `az login`), outbound calls carry no token. */
@Injectable()
export class NoTokenProvider extends TokenProvider {
  readonly mode = 'none' as const;

  async getToken(): Promise<AccessToken | undefined> {
    return undefined;
  }
}
