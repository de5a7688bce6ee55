import { Navigate, Route, Router } from '@solidjs/router';
import { lazy } from 'solid-js';
import { render } from 'solid-js/web';
import { Layout } from './components/Layout';
import { RequireRole } from './components/RequireRole';
import Login from './pages/Login';
import './styles.css';

const Register = lazy(() => import('./pages/Register'));
const ForgotPassword = lazy(() => import('./pages/ForgotPassword'));
const PatientHome = lazy(() => import('./pages/PatientHome'));
const DoctorHome = lazy(() => import('./pages/DoctorHome'));
const AdminHome = lazy(() => import('./pages/AdminHome'));
const Legal = lazy(() => import('./pages/Legal'));
const NotFound = lazy(() => import('./pages/NotFound'));

render(
  () => (
    <Router root={Layout}>
      <Route path="/" component={() => <Navigate href="/login" />} />
      <Route path="/login" component={Login} />
      <Route path="/register" component={Register} />
      <Route path="/forgot-password" component={ForgotPassword} />
      <Route path="/legal/:doc" component={Legal} />
      <Route
        path="/patient"
        component={() => (
          <RequireRole role="patient">
            <PatientHome />
          </RequireRole>
        )}
      />
      <Route
        path="/doctor"
        component={() => (
          <RequireRole role="doctor">
            <DoctorHome />
          </RequireRole>
        )}
      />
      <Route
        path="/admin"
        component={() => (
          <RequireRole role="admin">
            <AdminHome />
          </RequireRole>
        )}
      />
      <Route path="*404" component={NotFound} />
    </Router>
  ),
  document.getElementById('root')!,
);
