import { ADMIT_START } from './admission.scripts.js';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/** A fixed counting window: at most `max` in `windowMs`. */
export interface WindowLimit {
  max: number;
  windowMs: number;
}

/** Who asks to start what, and under which limits. */
export interface AdmissionRequest {
  consumer: string;
  provider: string;
  /** A keyed hash of the customer (never the customer itself). */
  customerKey: string;
  /** The new authentication's id: the reservation names it. */
  id: string;
  /** How long the reservation lives if nobody confirms or releases it. */
  reservationMs: number;
  /** Unknown customers a consumer may ask for (the enumeration guard); peeked, not counted. */
  unknownCustomers: WindowLimit;
  /** Backchannel requests per provider and customer; counted when admitted. */
  perCustomer: WindowLimit;
}

/** What the admission decided; nothing was written unless `admitted`. */
export type Admission =
  | { outcome: 'admitted' }
  | { outcome: 'enumeration_guard'; resetMs: number }
  | { outcome: 'held'; holder: string }
  | { outcome: 'customer_limited'; resetMs: number };

/**
 * The checks and bookings before a start calls its provider, in one round trip (ADMIT_START):
 * the enumeration guard, the reservation for the consumer, provider and customer, and the
 * per-customer limit.
 */
export class AdmissionRepository {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async admit(request: AdmissionRequest): Promise<Admission> {
    const [outcome, detail] = (await ADMIT_START.run(
      this.redis,
      3,
      this.keys.unknownCustomerLimit(request.consumer),
      this.keys.pendingLock(request.consumer, request.provider, request.customerKey),
      this.keys.customerLimit(request.provider, request.customerKey),
      request.id,
      request.reservationMs,
      request.unknownCustomers.max,
      request.unknownCustomers.windowMs,
      request.perCustomer.max,
      request.perCustomer.windowMs,
    )) as [string, number | string | undefined];
    switch (outcome) {
      case 'admitted':
        return { outcome };
      case 'held':
        return { outcome, holder: String(detail) };
      case 'enumeration_guard':
      case 'customer_limited':
        return { outcome, resetMs: Number(detail) };
      default:
        throw new Error(`ADMIT_START answered "${outcome}"`);
    }
  }
}
