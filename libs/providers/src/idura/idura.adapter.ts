import { GenericAdapter } from '../generic/generic.adapter.js';

/** Placeholder until the Idura dialect lands: behaves as a standard CIBA provider. */
export class IduraAdapter extends GenericAdapter {}
