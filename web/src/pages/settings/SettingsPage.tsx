// /settings/notifications, for everyone signed in: how Charter reaches the person (their delivery
// profile) and what it sends where (their notification preferences). Two forms, saved apart:
// each has its own button, its own refusal and its own status, so an error in one never costs
// what was typed in the other.
import { api, unwrap } from '../../api-client/client.js';
import { Link } from '../../app/router.js';
import { useSignedIn } from '../../app/session.js';
import { DeliveryForm } from './DeliveryForm.js';
import { PreferencesForm } from './PreferencesForm.js';

export function SettingsPage() {
  const { person } = useSignedIn();
  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Notification settings</h1>
      <p className="lead">
        How Charter reaches you, {person}, and what it sends where. Everything also shows in your{' '}
        <Link to="/notifications">notifications</Link> here in Charter.
      </p>
      <DeliveryForm
        title="How to reach you"
        readKey={`delivery:${person}`}
        read={() => unwrap(api.GET('/v1/me/delivery'))}
        save={(body) => unwrap(api.PUT('/v1/me/delivery', { body }))}
        suggestBrowserZone
        saveLabel="Save how to reach you"
        savedText="Saved. Charter reaches you this way from now on."
      />
      <PreferencesForm />
    </section>
  );
}
