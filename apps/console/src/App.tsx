import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { setUnauthorizedHandler, storedToken, storeToken } from './api';
import { ChannelEdit, ChannelsPage } from './pages/Channels';
import { CsvPage } from './pages/Csv';
import { FbaPage } from './pages/Fba';
import { JobsPage } from './pages/Jobs';
import { LiveListingsPage } from './pages/LiveListings';
import { OrdersPage } from './pages/Orders';
import { OverviewPage } from './pages/Overview';
import { ProductsPage } from './pages/Products';
import { SignIn } from './pages/SignIn';

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/channels', label: 'Channels' },
  { to: '/products', label: 'Products and stock' },
  { to: '/csv', label: 'Import and export' },
  { to: '/orders', label: 'Orders' },
  { to: '/jobs', label: 'Jobs' },
];

export function App() {
  const [token, setToken] = useState(storedToken());
  const [expired, setExpired] = useState(false);
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      storeToken(null);
      setExpired(true);
      setToken(null);
    });
  }, []);
  useEffect(close, [location.pathname, close]);

  if (!token) {
    return (
      <SignIn
        expired={expired}
        onSignedIn={(t) => {
          storeToken(t);
          setExpired(false);
          setToken(t);
        }}
      />
    );
  }
  const signOut = () => {
    storeToken(null);
    client.clear();
    setToken(null);
  };
  const active = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700}>Inventory sync</Text>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              admin console
            </Text>
          </Group>
          <Button variant="default" size="xs" onClick={signOut}>
            Sign out
          </Button>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV.map((n) => (
          <NavLink key={n.to} component={Link} to={n.to} label={n.label} active={active(n.to)} aria-current={active(n.to) ? 'page' : undefined} />
        ))}
        <NavLink component="a" href="/docs" label="API documentation" target="_blank" rel="noreferrer" />
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/channels" element={<ChannelsPage />} />
          <Route path="/channels/new" element={<ChannelEdit />} />
          <Route path="/channels/:id" element={<ChannelEdit />} />
          <Route path="/channels/:id/live-listings" element={<LiveListingsPage />} />
          <Route path="/channels/:id/reconciliation" element={<FbaPage />} />
          <Route path="/products" element={<ProductsPage />} />
          <Route path="/csv" element={<CsvPage />} />
          <Route path="/orders" element={<OrdersPage />} />
          <Route path="/jobs" element={<JobsPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
