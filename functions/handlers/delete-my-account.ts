import { deletePatientAccount } from '../core/data-rights';
import { accountDeletionArea } from '../adapters/wiring/account-deletion';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(accountDeletionArea, (deps) =>
  http(routes.deleteMyAccount, deps, async ({ identity, requestId }) => ({
    body: await deletePatientAccount(identity, requestId, deps),
  })),
);
