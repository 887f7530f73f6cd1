import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

export interface Item {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
}

/** The example's domain data: a list in memory, enough to tell a read from a write. */
@Injectable()
export class ItemStore {
  private readonly items: Item[] = [];

  list(): readonly Item[] {
    return this.items;
  }

  add(name: string, createdBy: string): Item {
    const item = { id: randomUUID(), name, createdBy, createdAt: new Date().toISOString() };
    this.items.push(item);
    return item;
  }
}
