import { GenericAdapter } from '../generic/generic.adapter.js';

/** Placeholder until the SimpleIdServer dialect lands: behaves as a standard CIBA provider. */
export class SimpleIdServerAdapter extends GenericAdapter {}
