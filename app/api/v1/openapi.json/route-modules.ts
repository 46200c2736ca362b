import type { RouteModulesByPath } from "@/lib/api/openapi";
import * as auditLog from "../audit-log/route";
import * as inviteRevoke from "../invites/[id]/revoke/route";
import * as invites from "../invites/route";
import * as keyPause from "../keys/[id]/pause/route";
import * as keyResume from "../keys/[id]/resume/route";
import * as keyRevoke from "../keys/[id]/revoke/route";
import * as keyRoll from "../keys/[id]/roll/route";
import * as key from "../keys/[id]/route";
import * as keyUsage from "../keys/[id]/usage/route";
import * as keys from "../keys/route";
import * as me from "../me/route";
import * as deploymentTest from "../models/[id]/deployments/[deployment_id]/test/route";
import * as deployment from "../models/[id]/deployments/[deployment_id]/route";
import * as deployments from "../models/[id]/deployments/route";
import * as modelHealth from "../models/[id]/health/route";
import * as modelTest from "../models/[id]/test/route";
import * as model from "../models/[id]/route";
import * as models from "../models/route";
import * as request from "../requests/[id]/route";
import * as requests from "../requests/route";
import * as settings from "../settings/route";
import * as member from "../teams/[id]/members/[user_id]/route";
import * as members from "../teams/[id]/members/route";
import * as team from "../teams/[id]/route";
import * as teams from "../teams/route";
import * as usage from "../usage/route";
import * as webhookDeliveries from "../webhooks/[id]/deliveries/route";
import * as webhookTest from "../webhooks/[id]/test/route";
import * as webhook from "../webhooks/[id]/route";
import * as webhooks from "../webhooks/route";

/**
 * The management API's route modules by their OpenAPI path: a route's URL is its folder
 * (Next's file-system routing), which the module itself does not know. Each module's
 * contract (summary, schemas, status, errors) is in its own `apiRoute({...})` call; this
 * list only places it. tests/api/openapi-route-modules.test.ts fails when a route under
 * app/api/v1 is missing here.
 */
export const managementRouteModules: RouteModulesByPath = {
  "/me": me,
  "/keys": keys,
  "/keys/{id}": key,
  "/keys/{id}/revoke": keyRevoke,
  "/keys/{id}/pause": keyPause,
  "/keys/{id}/resume": keyResume,
  "/keys/{id}/roll": keyRoll,
  "/keys/{id}/usage": keyUsage,
  "/teams": teams,
  "/teams/{id}": team,
  "/teams/{id}/members": members,
  "/teams/{id}/members/{user_id}": member,
  "/usage": usage,
  "/models": models,
  "/models/{id}": model,
  "/models/{id}/test": modelTest,
  "/models/{id}/deployments": deployments,
  "/models/{id}/deployments/{deployment_id}": deployment,
  "/models/{id}/deployments/{deployment_id}/test": deploymentTest,
  "/models/{id}/health": modelHealth,
  "/invites": invites,
  "/invites/{id}/revoke": inviteRevoke,
  "/settings": settings,
  "/audit-log": auditLog,
  "/requests": requests,
  "/requests/{id}": request,
  "/webhooks": webhooks,
  "/webhooks/{id}": webhook,
  "/webhooks/{id}/test": webhookTest,
  "/webhooks/{id}/deliveries": webhookDeliveries,
};
