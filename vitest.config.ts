import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'functions/**/*.test.ts',
            'shared/**/*.test.ts',
            'infra/local/**/*.test.ts',
            'infra/practice.test.ts',
            'web/src/**/*.test.ts',
            'tests/lint/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          environment: 'node',
          env: {
            TABLE_NAME: 'unit-test-table',
            USER_POOL_ID: 'us-east-1_unittest',
            USER_POOL_CLIENT_ID: 'unit-test-client',
            AWS_REGION: 'us-east-1',
            SMS_PROVIDER: 'outbox',
            PRACTICE_NAME: 'Unit Test Practice',
            REMINDER_SCHEDULER: 'local',
            VIDEO_PROVIDER: 'p2p',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // One platform is shared; files run one after another to keep the 2-core machine calm.
          fileParallelism: false,
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      },
      {
        test: {
          name: 'cdk',
          include: ['infra/aws/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
