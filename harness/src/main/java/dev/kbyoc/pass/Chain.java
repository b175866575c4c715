package dev.kbyoc.pass;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** A singly linked list with O(1) append and O(1) destructive concatenation (for region merges). */
final class Chain<T> implements Iterable<T> {
  private static final class Node<T> {
    final T value;
    Node<T> next;

    Node(T value) {
      this.value = value;
    }
  }

  private Node<T> head;
  private Node<T> tail;
  private int size;

  void add(T value) {
    Node<T> n = new Node<>(value);
    if (head == null) {
      head = n;
    } else {
      tail.next = n;
    }
    tail = n;
    size++;
  }

  /** Moves every element of {@code other} to the end of this chain; {@code other} becomes empty. */
  void append(Chain<T> other) {
    if (other == this || other.head == null) {
      return;
    }
    if (head == null) {
      head = other.head;
    } else {
      tail.next = other.head;
    }
    tail = other.tail;
    size += other.size;
    other.head = null;
    other.tail = null;
    other.size = 0;
  }

  int size() {
    return size;
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private Node<T> cur = head;

      @Override
      public boolean hasNext() {
        return cur != null;
      }

      @Override
      public T next() {
        if (cur == null) {
          throw new NoSuchElementException();
        }
        T v = cur.value;
        cur = cur.next;
        return v;
      }
    };
  }
}
