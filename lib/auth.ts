import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDatabase } from "@/db/client";
import { env } from "@/lib/env";
import { authSecret } from "@/lib/secrets";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { authRedirect } from "@/lib/http/same-origin-path";
import {
  isSignInBlocked,
  recordFailedSignIn,
  recordSuccessfulSignIn,
} from "@/lib/auth/sign-in-limiter";
import { signInSchema } from "@/lib/users/schemas";
import { checkCredentials, findOrCreateOidcUser } from "@/lib/users/service";
import { currentSessionVersion } from "@/lib/auth/session-user";

export class TooManyAttemptsError extends CredentialsSignin {
  code = "rate_limited";
}

/** Raised only after the right password: a guesser learns nothing from it. */
export class AccountDisabledError extends CredentialsSignin {
  code = "account_disabled";
}

function providers(): NextAuthConfig["providers"] {
  const list: NextAuthConfig["providers"] = [
    Credentials({
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientIpFromHeaders(request.headers);
        if (await isSignInBlocked(email, ip)) throw new TooManyAttemptsError();
        const result = await checkCredentials((await getDatabase()).db, email, password);
        if (result.status === "invalid") {
          await recordFailedSignIn(email, ip);
          return null;
        }
        if (result.status === "disabled") throw new AccountDisabledError();
        await recordSuccessfulSignIn(email, ip);
        const { user } = result;
        return {
          id: user.id,
          email: user.email,
          name: user.name,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ];
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME } = env();
  if (OIDC_ISSUER && OIDC_CLIENT_ID && OIDC_CLIENT_SECRET) {
    list.push({
      id: "oidc",
      name: OIDC_NAME,
      type: "oidc",
      issuer: OIDC_ISSUER,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
    });
  }
  return list;
}

/**
 * next-auth, configured lazily on the first request: the secret may live in the data
 * directory, which `next build` must never touch.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  providers: providers(),
  callbacks: {
    redirect: authRedirect,
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      if (!user.email) return false;
      const local = await findOrCreateOidcUser(
        (await getDatabase()).db,
        user.email,
        user.name ?? "",
      );
      if (!local) return false;
      user.id = local.id;
      return true;
    },
    async jwt({ token, user }) {
      // `user` is only present right after sign-in: pin our own user id into the token, and
      // the session version it was issued under (a later sign-out bumps the user's).
      if (user?.id) {
        token.uid = user.id;
        const version = (user as { sessionVersion?: number }).sessionVersion;
        token.sv =
          typeof version === "number"
            ? version
            : await currentSessionVersion((await getDatabase()).db, user.id);
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      (session as { sessionVersion?: number }).sessionVersion =
        typeof token.sv === "number" ? token.sv : 0;
      return session;
    },
  },
}));

export const oidcEnabled = () => Boolean(env().OIDC_ISSUER);
