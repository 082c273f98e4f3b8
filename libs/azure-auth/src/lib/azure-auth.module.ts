import { Module } from '@nestjs/common';
import { NoTokenProvider } from './no-token.provider';
import { TokenProvider } from './token-provider';

/** Provides the process's {@link TokenProvider}. */
@Module({
  providers: [{ provide: TokenProvider, useClass: NoTokenProvider }],
  exports: [TokenProvider],
})
export class AzureAuthModule {}
