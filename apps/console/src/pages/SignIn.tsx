import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { call } from '../api';
import { ErrorAlert } from '../ui';

/** Sign-in with the admin token; it is checked against the API before it is kept. */
export function SignIn({ onSignedIn, expired }: { onSignedIn: (token: string) => void; expired: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('GET', '/plugins', undefined, token.trim());
      onSignedIn(token.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420} component="form" onSubmit={submit}>
        <Stack>
          <Title order={1} size="h2">
            Inventory sync
          </Title>
          <Text size="sm">Sign in with the host's admin token (ADMIN_TOKEN, or the one `npm start` printed on its first run). It is kept for this browser tab only.</Text>
          {expired && (
            <Alert color="yellow" role="status">
              The token was refused: sign in again.
            </Alert>
          )}
          <ErrorAlert error={error} title="Sign-in failed" />
          {/* Password managers pair a secret with a user name: there is one admin. */}
          <input type="text" name="username" autoComplete="username" value="admin" readOnly hidden />
          <PasswordInput label="Admin token" required autoFocus value={token} onChange={(e) => setToken(e.currentTarget.value)} autoComplete="current-password" />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
