import { installHelmTools } from './helm';

/** Jest globalSetup: helm must be built before the deploy values specs run. */
export default function globalSetup(): void {
  installHelmTools();
}
