package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
	"github.com/testigo-project/testigo/internal/translog"
)

// QueueAlerts queues a webhook delivery of inc, just published, for every
// alert with a webhook whose filter inc matches, due at now, and returns
// how many it queued. Call it in the transaction that published inc, after
// the incident's log entry (SetReview does): the deliveries then commit or
// roll back with the publication, and each carries the incident as
// published and the index of that log entry. An alert that already has a
// delivery of inc (an incident published, reopened and published again)
// gets no second one. A store whose transactions keep no alerts queues
// nothing.
func QueueAlerts(ctx context.Context, tx testigo.Store, inc *testigo.Incident, now time.Time) (int, error) {
	as, ok := tx.(testigo.AlertStore)
	if !ok {
		return 0, nil
	}
	alerts, err := as.FindAlerts(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue alerts of incident %d: %w", inc.ID, err)
	}
	var (
		payload  []byte
		logIndex int64 = -1
		queued   int
	)
	for _, a := range alerts {
		if a.WebhookURL == "" || !alert.Match(a, inc) {
			continue
		}
		if payload == nil {
			if payload, err = alert.Snapshot(inc); err != nil {
				return 0, err
			}
			es, err := tx.FindLogEntriesBySubject(ctx, translog.IncidentSubject(inc.ID))
			if err != nil {
				return 0, fmt.Errorf("queue alerts of incident %d: %w", inc.ID, err)
			}
			for _, e := range es {
				if e.Kind == testigo.LogIncident {
					logIndex = e.Index
				}
			}
		}
		ok, err := as.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: a.ID, IncidentID: inc.ID,
			LogIndex: logIndex, Payload: payload, NextAt: now})
		if err != nil {
			return 0, fmt.Errorf("queue alerts of incident %d: %w", inc.ID, err)
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}
