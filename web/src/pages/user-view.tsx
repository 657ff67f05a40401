import { useState } from 'preact/hooks';
import { api, seg } from '../api/client';
import type { InterestProfile } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorNote, WhenLoaded } from '../components/loading';
import { InterestPanel } from './user-interests';
import { HistoryPanel } from './user-history';
import { RecommendationsPanel } from './user-recommendations';

/** One user: interest profile (with mute/boost), recommendations (with care controls and trace), history. */
export function UserView({ userId }: { userId: string }) {
  const profile = useApi<InterestProfile>(`/v1/users/${seg(userId)}/profile`);
  // Bumped after a mute or boost so the recommendations are asked for again.
  const [profileRound, setProfileRound] = useState(0);
  const [changeError, setChangeError] = useState<Error | undefined>();
  const change = async (interestId: string, patch: { mute?: boolean; boost?: number }) => {
    setChangeError(undefined);
    try {
      await api<InterestProfile>('PATCH', `/v1/users/${seg(userId)}/profile`, { interests: [{ id: interestId, ...patch }] });
      profile.reload();
      setProfileRound((r) => r + 1);
    } catch (e) {
      setChangeError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <article aria-labelledby="user-title">
      <h2 id="user-title">User {userId}</h2>
      <section aria-labelledby="interests-title">
        <h3 id="interests-title">Interest profile</h3>
        {changeError && <ErrorNote error={changeError} />}
        <WhenLoaded state={profile} what="the interest profile">
          {(p) => <InterestPanel profile={p} onChange={change} />}
        </WhenLoaded>
      </section>
      <RecommendationsPanel userId={userId} round={profileRound} />
      <HistoryPanel userId={userId} />
    </article>
  );
}
