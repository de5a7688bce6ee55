import { redeemVisitLink } from '../core/guests';
import { recordLinkOpened } from '../core/rescue';
import { passRedeemArea } from '../adapters/wiring/rescue';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(passRedeemArea, (deps) =>
  http(routes.redeemVisitPass, deps, async ({ body, sourceIp, requestId }) => {
    const redeemed = await redeemVisitLink(body.token, sourceIp, deps, requestId);
    // A late patient's texted link: the doctor's queue shows that it was opened.
    if (redeemed.visit.holder === 'patient') await recordLinkOpened(redeemed.visit.appointmentId, deps);
    return { body: redeemed };
  }),
);
