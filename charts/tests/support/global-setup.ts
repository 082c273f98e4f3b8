import { installHelmTools } from './tools';

/** Jest globalSetup: make sure helm and kubectl-validate are built before any spec runs. */
export default function globalSetup(): void {
  installHelmTools();
}
