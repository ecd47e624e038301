import { GenericAdapter } from '../generic/generic.adapter.js';

/** Placeholder until the Tbc dialect lands: behaves as a standard CIBA provider. */
export class TbcAdapter extends GenericAdapter {}
