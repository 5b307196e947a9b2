import { expect, it } from 'vitest';
import { worstFirst } from '../../../../../shared/domain/alert-text/notification.js';
import { aChange, anEvaluation } from '../../../../support/alert-notifications.js';

it('worstFirst() puts escalations and the worst levels first and resolved notices last', () => {
  // Arrange
  const resolved = aChange({
    kind: 'resolved',
    evaluation: anEvaluation({ unitId: '1', name: 'A', level: 'on_track' }),
  });
  const atRisk = aChange({ evaluation: anEvaluation({ unitId: '2', name: 'B', level: 'at_risk' }) });
  const critical = aChange({ evaluation: anEvaluation({ unitId: '3', name: 'C', level: 'critical' }) });
  const escalated = aChange({ kind: 'escalation', evaluation: anEvaluation({ unitId: '4', name: 'D' }) });

  // Act
  const order = worstFirst([resolved, atRisk, critical, escalated]).map((c) => c.evaluation.name);

  // Assert
  expect(order).toEqual(['D', 'C', 'B', 'A']);
});
