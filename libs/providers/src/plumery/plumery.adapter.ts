import { GenericAdapter } from '../generic/generic.adapter.js';

/** Placeholder until the Plumery dialect lands: behaves as a standard CIBA provider. */
export class PlumeryAdapter extends GenericAdapter {}
