import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { Worker } from 'bullmq';
import { queueWorkers, stopTakingJobs } from './queue-workers.js';

let closeCalls: unknown[][] = [];
const fakeWorker = {
  close: async (...args: unknown[]) => void closeCalls.push(args),
} as unknown as Worker;

@Injectable()
class StartedProcessor extends WorkerHost {
  override get worker(): Worker {
    return fakeWorker;
  }
  async process(): Promise<void> {}
}

@Injectable()
class UnstartedProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

@Injectable()
class NotAProcessor {}

describe('queueWorkers', () => {
  it('finds the started BullMQ workers among the providers, and stops them', async () => {
    const app = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [StartedProcessor, UnstartedProcessor, NotAProcessor],
    }).compile();
    const workers = queueWorkers(app);
    expect(workers).toEqual([fakeWorker]);
    closeCalls = [];
    await stopTakingJobs(workers);
    // Without `force`: jobs in progress finish first.
    expect(closeCalls).toEqual([[]]);
    await app.close();
  });

  it('an application without BullMQ has none', async () => {
    const app = await Test.createTestingModule({ providers: [NotAProcessor] }).compile();
    expect(queueWorkers(app)).toEqual([]);
    await app.close();
  });
});
